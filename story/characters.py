"""Finding the characters of a story, merging their aliases, and describing them."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from .lexicon import (APPEARANCE, CHARACTER_NOUNS, NOT_NAMES, PLACE_PREPOSITIONS, PLACE_SUFFIXES,
                      ROLE_ADJECTIVES, TITLE_RE)
from .sentences import Unit

MAX_CHARACTERS = 40
MAX_DESCRIPTORS = 8

_NAME_WORD = rf"(?:(?:{TITLE_RE})\.(?=\s)|[A-Z][a-z’']+)"
_NAME = re.compile(rf"\b{_NAME_WORD}(?:[ \t]+(?:(?:de|van|von|of|the)[ \t]+)?{_NAME_WORD})*")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_SPEAKER = re.compile(r"[,!?]['’”\"]\s+(?:said|cried|asked|replied|answered|shouted|whispered|exclaimed|returned)"
                      r"\s+((?:[A-Z][a-z]+\.?\s+)?[A-Z][a-z]+)")
_DEFINITE = re.compile(r"\b[Tt]he\s+((?:[a-z]+\s+){0,2}?)([a-z]+)\b")
_TITLE_WORDS = frozenset(TITLE_RE.split("|"))
_PRONOUN_START = re.compile(r"\W*(?:He|She|It|They)\b")
_APPOSITIVE_START = frozenset("a an the his her their its our my".split())
_CAPS_INTRO = re.compile(r"\b([A-Z][A-Z'’.-]+(?:[ \t]+[A-Z][A-Z'’.-]+)*),")


@dataclass
class Character:
    name: str
    aliases: dict[str, None] = field(default_factory=dict)
    units: list[int] = field(default_factory=list)
    mentions: int = 0
    description: str = ""


def find_prose_characters(text: str, units: list[Unit]) -> list[Character]:
    """Named characters (with titles and aliases merged) and the definite-article characters of fables."""
    sentences = [text[u.start:u.end] for u in units]
    lower_counts = Counter(w for s in sentences for w in re.findall(r"\b[a-z]+\b", s))
    forms: dict[str, list[int]] = {}
    place_votes: Counter[str] = Counter()
    speakers: set[str] = set()
    inside: dict[str, int] = {}
    for idx, sentence in enumerate(sentences):
        for match in _NAME.finditer(sentence):
            name = _clean_name(match.group(0), match.start(), sentence, lower_counts)
            if not name:
                continue
            forms.setdefault(name, []).append(idx)
            if sentence[:match.start()].strip(" \t\n\"'“‘(—-_*"):
                inside[name] = inside.get(name, 0) + 1
            before = sentence[max(0, match.start() - 12):match.start()].split()
            if before and before[-1].lower() in PLACE_PREPOSITIONS:
                place_votes[name] += 1
        for match in _SPEAKER.finditer(sentence):
            speakers.add(_POSSESSIVE.sub("", match.group(1)))
    in_longer = {w for name in forms if " " in name for w in name.split()}
    people = {
        name: idxs for name, idxs in forms.items()
        if not _is_place(name, len(idxs), place_votes[name])
        and (" " in name or name in speakers or name in in_longer or inside.get(name, 0) > 0)
    }
    characters = [c for c in _merge_aliases(people)
                  if len(set(c.units)) >= 2 or any(a in speakers for a in c.aliases)]
    characters.extend(_fable_characters(sentences, {c.name.lower() for c in characters}))
    characters.sort(key=lambda c: (-c.mentions, c.units[0], c.name))
    kept = characters[:MAX_CHARACTERS]
    for c in kept:
        c.description = _describe(c, sentences)
    kept.sort(key=lambda c: (c.units[0], c.name))
    return kept


def place_names(text: str, units: list[Unit]) -> set[str]:
    """Capitalised names that read as places (after 'at', 'in', 'to'..., or ending in Street, Hall...)."""
    found: set[str] = set()
    for u in units:
        sentence = text[u.start:u.end]
        for match in _NAME.finditer(sentence):
            name = match.group(0)
            before = sentence[max(0, match.start() - 12):match.start()].split()
            if (before and before[-1].lower() in PLACE_PREPOSITIONS and name.split()[0] not in _TITLE_WORDS
                    and name not in NOT_NAMES) or name.split()[-1] in PLACE_SUFFIXES:
                found.add(_POSSESSIVE.sub("", name))
    return found


def _clean_name(raw: str, offset: int, sentence: str, lower_counts: Counter[str]) -> str:
    words = _POSSESSIVE.sub("", raw).split()
    while (words and (words[0] in NOT_NAMES or lower_counts[words[0].lower()] > 2)
           and words[0].rstrip(".") not in _TITLE_WORDS):
        words.pop(0)
    while words and words[-1] in ("of", "the", "de", "van", "von"):
        words.pop()
    if not words or (len(words) == 1 and words[0].rstrip(".") in _TITLE_WORDS):
        return ""
    initial = not sentence[:offset].strip(" \t\n\"'“‘(—-_*")
    if len(words) == 1 and initial and lower_counts[words[0].lower()] > 0:
        return ""
    name = " ".join(words)
    if name in NOT_NAMES:
        return ""
    if words[0].rstrip(".") in _TITLE_WORDS and len(words) > 1:
        title = words[0].rstrip(".")
        name = " ".join([title + ("." if title in ("Mr", "Mrs", "Ms", "Dr") else ""), *words[1:]])
    return name


def _is_place(name: str, mentions: int, place_votes: int) -> bool:
    return name.split()[-1] in PLACE_SUFFIXES or place_votes * 2 >= mentions


def _merge_aliases(people: dict[str, list[int]]) -> list[Character]:
    """Merge 'Elizabeth' into 'Elizabeth Bennet', 'Holmes' into 'Sherlock Holmes', 'Mr. Holmes' too."""
    by_size = sorted(people, key=lambda n: (-len(n.split()), -len(people[n]), n))
    groups: dict[str, Character] = {}
    owner: dict[str, str] = {}
    for name in by_size:
        target = _alias_target(name, groups, people)
        if target is None:
            groups[name] = Character(name=name)
            target = name
        owner[name] = target
        group = groups[target]
        group.aliases[name] = None
        group.units.extend(people[name])
        group.mentions += len(people[name])
    result = []
    for group in groups.values():
        group.units = sorted(set(group.units))
        best = max(group.aliases, key=lambda a: (len(people[a]), a))
        group.name = best
        result.append(group)
    return result


def _alias_target(name: str, groups: dict[str, Character], people: dict[str, list[int]]) -> str | None:
    words = name.split()
    bare = [w for w in words if w.rstrip(".") not in _TITLE_WORDS]
    titled = len(bare) < len(words)
    candidates = []
    for key, group in groups.items():
        for alias in group.aliases:
            alias_words = alias.split()
            alias_bare = [w for w in alias_words if w.rstrip(".") not in _TITLE_WORDS]
            if titled and alias_words[0] == words[0] and alias_bare[-1:] == bare[-1:]:
                candidates.append(key)  # 'Mr. Holmes' <- 'Mr. Sherlock Holmes'
            elif not titled and len(bare) == 1 and len(alias_bare) > 1 and bare[0] in (alias_bare[0], alias_bare[-1]):
                candidates.append(key)  # 'Elizabeth' <- 'Elizabeth Bennet'
            elif not titled and len(bare) > 1 and alias_bare == bare:
                candidates.append(key)  # 'Sherlock Holmes' <- 'Mr. Sherlock Holmes'
            elif not titled and len(bare) == 1 and alias_bare == bare and alias_words[0].rstrip(".") in _TITLE_WORDS:
                candidates.append(key)  # 'Bingley' <- 'Mr. Bingley'
    unique = list(dict.fromkeys(candidates))
    if len(unique) == 1:
        return unique[0]
    if len(unique) > 1:
        ranked = sorted(unique, key=lambda k: (-groups[k].mentions, k))
        if groups[ranked[0]].mentions >= 2 * groups[ranked[1]].mentions:
            return ranked[0]
    return None


def _fable_characters(sentences: list[str], known: set[str]) -> list[Character]:
    """'the fox', 'the old woman': definite-article characters mentioned in at least three sentences."""
    heads: dict[str, Character] = {}
    form_counts: Counter[str] = Counter()
    for idx, sentence in enumerate(sentences):
        for match in _DEFINITE.finditer(sentence):
            adjectives = match.group(1).split()
            noun = match.group(2)
            if noun not in CHARACTER_NOUNS or any(a not in ROLE_ADJECTIVES for a in adjectives):
                continue
            if noun in ("man", "woman") and not adjectives:
                continue
            form = " ".join(["the", *adjectives, noun])
            form_counts[form] += 1
            group = heads.setdefault(noun, Character(name=noun))
            group.aliases[form] = None
            group.units.append(idx)
            group.mentions += 1
    result = []
    for noun, group in heads.items():
        group.units = sorted(set(group.units))
        if len(group.units) < 3 or noun in known:
            continue
        best = max(group.aliases, key=lambda f: (form_counts[f], f))
        group.name = " ".join(w.capitalize() for w in best.split())
        result.append(group)
    return result


def find_screenplay_characters(text: str, cues: list[tuple[str, int]], units: list[Unit]) -> list[Character]:
    """Speakers from the character cues, plus the full names they are introduced by in the action."""
    starts = [u.start for u in units]
    groups: dict[str, Character] = {}
    for raw, offset in cues:
        key = raw.upper()
        group = groups.setdefault(key, Character(name=_display(raw)))
        group.aliases[_display(raw)] = None
        group.units.append(max(0, bisect_right(starts, offset) - 1))
        group.mentions += 1
    _merge_screenplay_short_names(groups)
    caps_seen = dict.fromkeys(m.group(1) for u in units for m in _CAPS_INTRO.finditer(text, u.start, u.end))
    for key, group in groups.items():
        for caps in caps_seen:
            if caps != key and key in caps.split() and len(caps.split()) <= 3 and not _headingish(caps):
                group.aliases.setdefault(_display(caps), None)
    _add_mentions(text, units, groups)
    for group in groups.values():
        group.units = sorted(set(group.units))
        group.description = _describe_caps_intro(text, group)
    ordered = sorted(groups.values(), key=lambda c: (c.units[0], c.name))
    return ordered[:MAX_CHARACTERS]


def _headingish(caps: str) -> bool:
    return caps.split()[0].rstrip(".") in ("INT", "EXT", "EST", "CUT", "FADE", "I/E")


def _add_mentions(text: str, units: list[Unit], groups: dict[str, Character]) -> None:
    """Record the units where a screenplay character is named in the action, not only where they speak."""
    owner: dict[str, Character] = {}
    for group in groups.values():
        for alias in group.aliases:
            owner.setdefault(alias, group)
            owner.setdefault(alias.upper(), group)
    if not owner:
        return
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in sorted(owner, key=len, reverse=True)) + r")\b")
    for idx, u in enumerate(units):
        for match in pattern.finditer(text, u.start, u.end):
            group = owner[match.group(0)]
            if not group.units or group.units[-1] != idx:
                group.units.append(idx)


def _merge_screenplay_short_names(groups: dict[str, Character]) -> None:
    """'BOB' speaks in one scene and 'CYBER BOB' in another: the same person when only one name fits."""
    for key in sorted(groups, key=lambda k: (len(k.split()), k)):
        if len(key.split()) != 1 or key not in groups:
            continue
        longer = [k for k in groups if k != key and key in k.split()]
        if len(longer) == 1:
            target = groups[longer[0]]
            short = groups.pop(key)
            target.aliases.update(short.aliases)
            target.units.extend(short.units)
            target.mentions += short.mentions


def _display(raw: str) -> str:
    return " ".join(w.capitalize() if w.isupper() else w for w in raw.split())


def _describe_caps_intro(text: str, group: Character) -> str:
    """The appositive after a character's first capitalised introduction: 'BOB, 40, a goofy man, ...'."""
    for alias in sorted(group.aliases, key=lambda a: (-len(a), a)):
        idx = text.find(alias.upper() + ",")
        if idx >= 0:
            sentence_end = re.search(r"[.!?](?:\s|$)", text[idx:idx + 400])
            chunk = text[idx + len(alias) + 1: idx + (sentence_end.start() if sentence_end else 400)]
            return _appositive(chunk)
    return ""


def _appositive(chunk: str) -> str:
    """Leading comma-separated noun phrases: ', 40, a white man, goofy, strolls...' -> '40, a white man, goofy'."""
    parts = [p.strip() for p in re.split(r",|--|—", " ".join(chunk.split()))]
    kept = []
    for part in parts[:-1]:
        words = part.split()
        if (not words or len(words) > 7 or any(q in part for q in "\"“”‘’") or "said" in words
                or not (words[0].lower() in _APPOSITIVE_START or words[0][0].isdigit()
                        or words[0].lower() in APPEARANCE or (kept and words[0][0].islower()))):
            break
        kept.append(part)
    return ", ".join(kept)


def _describe(character: Character, sentences: list[str]) -> str:
    """Appearance words near the character's names (and in a following 'He was...' sentence),
    plus an appositive if one introduces them."""
    found: dict[str, None] = {}
    intro = ""
    aliases = sorted(character.aliases, key=len, reverse=True)
    for idx in character.units[:60]:
        sentence = sentences[idx]
        lowered = sentence.lower()
        for alias in aliases:
            pos = lowered.find(alias.lower())
            if pos < 0:
                continue
            if not intro and sentence[pos + len(alias):pos + len(alias) + 1] == ",":
                intro = _appositive(sentence[pos + len(alias) + 1:])
            window = lowered[max(0, pos - 60):pos + len(alias) + 80]
            if idx + 1 < len(sentences) and _PRONOUN_START.match(sentences[idx + 1]):
                window += " " + sentences[idx + 1][:160].lower()
            for word in re.findall(r"[a-z][a-z-]+", window):
                if word in APPEARANCE and len(found) < MAX_DESCRIPTORS:
                    found[word] = None
            break
    pieces = [p for p in (intro, ", ".join(found)) if p]
    return "; ".join(pieces)
