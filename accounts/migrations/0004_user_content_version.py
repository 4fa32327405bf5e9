# The version of everything a user owns: named for the user's content, not for one app that keeps some.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_user_projects_version'),
    ]

    operations = [
        migrations.RenameField(
            model_name='user',
            old_name='projects_version',
            new_name='content_version',
        ),
    ]
