"""The render engine: storyboard panels, the animatic's MP4 and the files editors and printers open.

Plain Python with no Django import, like `story/`: scenes, frames and options in, files out.
The Django apps around it own storage, jobs and the database.
"""
