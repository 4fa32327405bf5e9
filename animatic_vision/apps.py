from django.apps import AppConfig


class AnimaticVisionConfig(AppConfig):
    name = "animatic_vision"
    verbose_name = "Animatic Vision"
