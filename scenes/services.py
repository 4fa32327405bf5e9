"""Writes to scenes and characters: editing, reordering, deleting, and the animatic's timing rules.

Timing is computed in whole milliseconds so that the scene durations always sum
exactly to the project's `duration_sec`; `start_sec` is recomputed as the running
sum. Every edit goes through projects.gateway: one transaction with the owner's and the
project's rows locked, refused with 409 while the project is being segmented, because its
scenes are about to be replaced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import F, Max
from django.utils import timezone

from animatic_vision.errors import InvalidInput, SceneNotFound
from projects.gateway import files_delete_on_commit, project_touch, project_write
from projects.models import Project, ProjectStatus
from scenes.models import Asset, Character, Scene
from story import SegmentOptions
from story.prompts import character_prompt

# A scene keeps at least this much time when the others are rescaled.
MIN_SCENE_MS = 1
SCENE_EDITABLE_FIELDS = ("title", "description", "background_prompt", "character_prompts", "camera")
CHARACTER_EDITABLE_FIELDS = ("description", "prompt")


def seconds_to_ms(seconds: Decimal | int) -> int:
    """Exact for DecimalField(decimal_places=3) values."""
    return int(Decimal(seconds) * 1000)


def ms_to_seconds(milliseconds: int) -> Decimal:
    return (Decimal(milliseconds) / 1000).quantize(Decimal("0.001"))


def durations_split(*, total_ms: int, weights: Sequence[int], minimum_ms: int = MIN_SCENE_MS) -> list[int]:
    """Splits `total_ms` into `len(weights)` parts proportional to `weights`, each at least `minimum_ms`.

    Largest-remainder rounding: each part is its exact share rounded down, and the
    milliseconds left over go to the largest fractional parts (the earlier part on
    a tie), so the parts sum exactly to `total_ms` and the result is deterministic.
    A part that would fall below `minimum_ms` is raised to it, the difference taken
    from the largest parts. All-zero weights split evenly.
    """
    count = len(weights)
    if count == 0:
        if total_ms:
            raise ValueError("Cannot split a non-zero duration over no parts.")
        return []
    if total_ms < minimum_ms * count:
        raise ValueError(f"{total_ms} ms cannot give {count} parts of at least {minimum_ms} ms.")
    clean = [max(int(weight), 0) for weight in weights]
    weight_sum = sum(clean)
    if weight_sum == 0:
        clean, weight_sum = [1] * count, count
    parts = [total_ms * weight // weight_sum for weight in clean]
    remainders = [total_ms * weight % weight_sum for weight in clean]
    leftover = total_ms - sum(parts)
    for position in sorted(range(count), key=lambda i: (-remainders[i], i))[:leftover]:
        parts[position] += 1
    deficit = sum(max(minimum_ms - part, 0) for part in parts)
    parts = [max(part, minimum_ms) for part in parts]
    while deficit:
        largest = max(range(count), key=lambda i: (parts[i], -i))
        taken = min(deficit, parts[largest] - minimum_ms)
        parts[largest] -= taken
        deficit -= taken
    return parts


def _scenes_locked(*, project: Project) -> list[Scene]:
    return list(Scene.objects.filter(project=project).order_by("scene_index"))


def _timeline_write(*, project: Project, scenes: list[Scene], durations_ms: list[int], renumber: bool) -> None:
    """Stores `scenes` in this order with these durations: contiguous indexes from 0, cumulative starts.

    Renumbering is two-phase because (project, scene_index) is unique and neither
    SQLite nor MariaDB defers that check to the end of a statement: first every
    index moves above the current maximum, then each row gets its final index.
    """
    now = timezone.now()
    if renumber:
        highest = Scene.objects.filter(project=project).aggregate(highest=Max("scene_index"))["highest"] or 0
        Scene.objects.filter(project=project).update(scene_index=F("scene_index") + highest + 1)
    start_ms = 0
    for position, (scene, duration_ms) in enumerate(zip(scenes, durations_ms, strict=True)):
        scene.scene_index = position
        scene.start_sec = ms_to_seconds(start_ms)
        scene.duration_sec = ms_to_seconds(duration_ms)
        scene.updated_at = now
        start_ms += duration_ms
    fields = (
        ["scene_index", "start_sec", "duration_sec", "updated_at"]
        if renumber
        else ["start_sec", "duration_sec", "updated_at"]
    )
    Scene.objects.bulk_update(scenes, fields)


def _duration_errors(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


def _durations_after_patch(*, project: Project, scenes: list[Scene], target: Scene, duration_ms: int) -> list[int]:
    """The new durations when `target` gets `duration_ms`: the others share the rest in proportion."""
    total_ms = project.duration_sec * 1000
    others = [scene for scene in scenes if scene.pk != target.pk]
    if not others:
        if duration_ms != total_ms:
            raise _duration_errors(
                "duration_sec",
                f"This is the project's only scene, so it lasts the whole animatic: "
                f"duration_sec must be {project.duration_sec}.",
            )
        return [duration_ms]
    largest_ms = total_ms - MIN_SCENE_MS * len(others)
    if duration_ms > largest_ms:
        raise _duration_errors(
            "duration_sec",
            f"duration_sec must be at most {ms_to_seconds(largest_ms)} so that the other "
            f"{len(others)} scene(s) keep some of the project's {project.duration_sec} seconds.",
        )
    rest = iter(
        durations_split(total_ms=total_ms - duration_ms, weights=[seconds_to_ms(s.duration_sec) for s in others])
    )
    return [duration_ms if scene.pk == target.pk else next(rest) for scene in scenes]


def scene_update(*, scene: Scene, data: dict[str, Any]) -> Scene:
    """Edits a scene's texts and prompts; a new duration rescales the other scenes to keep the total."""
    with project_write(project_id=scene.project_id) as project:
        scenes = _scenes_locked(project=project)
        target = next((s for s in scenes if s.pk == scene.pk), None)
        if target is None:
            raise SceneNotFound()

        if "character_prompts" in data and len(data["character_prompts"]) != len(target.characters or []):
            count = len(target.characters or [])
            message = (
                f"character_prompts must have one prompt per character of the scene: {count} "
                f"({', '.join(target.characters) or 'none'}), not {len(data['character_prompts'])}."
            )
            raise InvalidInput(message, errors={"character_prompts": [message]})

        changed = [field for field in SCENE_EDITABLE_FIELDS if field in data]
        for field in changed:
            setattr(target, field, data[field])

        if "duration_sec" in data:
            durations_ms = _durations_after_patch(
                project=project, scenes=scenes, target=target, duration_ms=seconds_to_ms(data["duration_sec"])
            )
            _timeline_write(project=project, scenes=scenes, durations_ms=durations_ms, renumber=False)
        if changed:
            target.save(update_fields=[*changed, "updated_at"])
        project_touch(project=project)
    return target


def scene_delete(*, scene: Scene) -> None:
    """Deletes a scene and its asset files; the indexes close up and its time goes to the others.

    The freed time is shared by the remaining scenes in proportion to their
    durations, so the sum still equals the project's duration. Deleting the last
    scene is allowed: the project has no animatic any more and returns to `draft`,
    ready to be segmented again.
    """
    with project_write(project_id=scene.project_id) as project:
        scenes = _scenes_locked(project=project)
        if not any(s.pk == scene.pk for s in scenes):
            raise SceneNotFound()
        file_names = list(Asset.objects.filter(scene_id=scene.pk).values_list("file", flat=True))
        Scene.objects.filter(pk=scene.pk).delete()
        remaining = [s for s in scenes if s.pk != scene.pk]
        if remaining:
            total_ms = project.duration_sec * 1000
            durations_ms = durations_split(
                total_ms=total_ms,
                weights=[seconds_to_ms(s.duration_sec) for s in remaining],
                minimum_ms=MIN_SCENE_MS if total_ms >= MIN_SCENE_MS * len(remaining) else 0,
            )
            _timeline_write(project=project, scenes=remaining, durations_ms=durations_ms, renumber=True)
            project_touch(project=project)
        else:
            project_touch(project=project, status=ProjectStatus.DRAFT)
        files_delete_on_commit(names=file_names, storage=Asset._meta.get_field("file").storage)


def scene_reorder(*, project: Project, order: Sequence[int]) -> list[Scene]:
    """Puts the scenes in the given order of ids (every scene exactly once); starts follow, durations stay."""
    with project_write(project_id=project.pk) as project:
        scenes = _scenes_locked(project=project)
        by_id = {scene.pk: scene for scene in scenes}
        problems = []
        repeated = sorted(scene_id for scene_id, seen in Counter(order).items() if seen > 1)
        unknown = sorted({scene_id for scene_id in order if scene_id not in by_id})
        missing = [scene.pk for scene in scenes if scene.pk not in set(order)]
        if repeated:
            problems.append(f"repeated: {', '.join(map(str, repeated))}")
        if unknown:
            problems.append(f"not scenes of this project: {', '.join(map(str, unknown))}")
        if missing:
            problems.append(f"missing: {', '.join(map(str, missing))}")
        if problems:
            message = f"order must name every scene of the project exactly once ({'; '.join(problems)})."
            raise InvalidInput(message, errors={"order": [message]})

        ordered = [by_id[scene_id] for scene_id in order]
        _timeline_write(
            project=project,
            scenes=ordered,
            durations_ms=[seconds_to_ms(scene.duration_sec) for scene in ordered],
            renumber=True,
        )
        project_touch(project=project)
    return ordered


def character_update(*, character: Character, data: dict[str, Any]) -> Character:
    """Edits a character's description and prompt; every scene where they appear takes the new prompt.

    A new description without a new prompt rebuilds the prompt from it, in the style the
    project's scenes were made with, so what the scenes draw matches what the writer wrote.
    """
    with project_write(project_id=character.project_id) as project:
        changes = {field: data[field] for field in CHARACTER_EDITABLE_FIELDS if field in data}
        if "description" in changes and "prompt" not in changes:
            style = project.segmentation_style or SegmentOptions().style
            changes["prompt"] = character_prompt(character.name, changes["description"], style)
        for field, value in changes.items():
            setattr(character, field, value)
        if changes:
            character.save(update_fields=[*changes, "updated_at"])

        now = timezone.now()
        followed = []
        for scene in Scene.objects.filter(project_id=character.project_id).only(
            "id", "characters", "character_prompts"
        ):
            names = list(scene.characters or [])
            if character.name not in names:
                continue
            prompts = list(scene.character_prompts or [])
            prompts += [""] * (len(names) - len(prompts))
            for position, name in enumerate(names):
                if name == character.name:
                    prompts[position] = character.prompt
            if prompts != scene.character_prompts:
                scene.character_prompts = prompts
                scene.updated_at = now
                followed.append(scene)
        Scene.objects.bulk_update(followed, ["character_prompts", "updated_at"])
        project_touch(project=project)
    return character
