"""``rules.anonymous_named`` looks up the runs of the file name's words instead of trying every handle on it: the
same verdict as trying every handle (the rule as first written), on seeded random names and handles."""

from __future__ import annotations

import random

from qasite.content import rules


def _every_handle(author: str, stem: str, people: list[str]) -> str | None:
    """The rule as first written: every handle tried on the name; the longest, ties in people's order."""
    if author != "anonymous":
        return None
    named = sorted((h for h in people if h != "anonymous" and f"-{h}-" in f"-{stem}-"), key=len, reverse=True)
    return named[0] if named else None


def _word(rng: random.Random) -> str:
    return rng.choice(["", "a", "b", "ab", "ba", "2023", "07", "anonymous", "sam", "lee", "sam-lee", "a-"])


def test_same_verdict_as_every_handle_tried() -> None:
    rng = random.Random(11)
    named = 0
    for _ in range(20_000):
        people = list(dict.fromkeys("-".join(_word(rng) for _ in range(rng.randint(1, 3))) for _ in range(12)))
        stem = "-".join(_word(rng) for _ in range(rng.randint(0, 6)))
        author = rng.choice(["anonymous", "anonymous", "sam"])
        expected = _every_handle(author, stem, people)
        broken = rules.anonymous_named(author, stem, dict.fromkeys(people))
        if expected is None:
            assert broken is None, (stem, people)
            continue
        named += 1
        assert broken is not None, (stem, people)
        assert broken.message == f"is anonymous but the file name names '{expected}' (it shows in the answer's address)"
        assert broken.fix == f"rename the file to {stem.replace(expected, 'anonymous', 1)}.md"
    assert named > 5_000  # the names do name handles, ties of length included


def test_a_tie_goes_to_the_first_in_people_order() -> None:
    for people in (["sam-a", "a-lee"], ["a-lee", "sam-a"]):
        broken = rules.anonymous_named("anonymous", "2023-sam-a-lee", dict.fromkeys(people))
        assert broken is not None
        assert f"names '{people[0]}'" in broken.message
