"""Image-prompt style presets and the prompt builders that use them."""

from __future__ import annotations

STYLE_PRESETS: dict[str, str] = {
    "storyboard": "storyboard sketch, rough pencil lines, grayscale, clear staging, simple shading",
    "cinematic": "cinematic film still, dramatic lighting, shallow depth of field, anamorphic, color graded",
    "anime_shonen": "anime shonen style, bold clean line art, dynamic angle, vivid cel shading, speed lines",
    "anime_shojo": "anime shojo style, delicate line art, soft pastel colors, sparkling highlights, flowers",
    "watercolor": "watercolor illustration, soft washes, visible paper texture, gentle color bleeding",
}
DEFAULT_STYLE = "storyboard"


def character_prompt(name: str, description: str, style: str) -> str:
    """A character's one prompt, reused unchanged in every scene where they appear."""
    looks = description or "a character from the story"
    return f"{name}, {looks}, full-body character design, consistent appearance, {STYLE_PRESETS[style]}"


def background_prompt(
    setting: str, time_of_day: str | None, mood: str | None, style: str, details: list[str] | None = None
) -> str:
    """A scene background prompt: setting, what is visible there, time, mood, style; people are drawn separately."""
    parts = [setting, *(details or [])]
    if time_of_day:
        parts.append(f"{time_of_day} light")
    if mood:
        parts.append(f"{mood} atmosphere")
    parts.extend(["wide establishing shot", "no people", STYLE_PRESETS[style]])
    return ", ".join(p for p in parts if p)
