"""render/orders.py: the whole site's top-voted and newest orders kept between builds equal fresh sorts after every
change of the questions: the same objects, objects replaced by equal ones (a reloaded question: its new object in the
order), a question's votes or date moved, questions removed or reordered, one question added or deleted (shifted, not
sorted again); and ``feeds.latest_of``, the site's last-modified order sorted once a site, gives every feed's
questions as ``feeds.latest``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

from conftest import REPO_TODAY, ROOT
from qasite.config.urls import Urls
from qasite.content.loader import load_site
from qasite.content.model import Question
from qasite.content.site import Site
from qasite.content.trust import Policy
from qasite.render import feeds, listings, orders


def demo(tmp_path: Path) -> Site:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)  # the demo site
    policy = Policy(today=dt.date.fromisoformat(REPO_TODAY))
    site, _ = load_site(content, timezone="Europe/London", urls=Urls(), processes=1, policy=policy)
    return site


def questions(tmp_path: Path) -> list[Question]:
    return list(demo(tmp_path).questions)


def same(order: orders.Order, given: list[Question]) -> None:
    made = orders.kept(order, given)
    assert [id(q) for q in made] == [id(q) for q in order(list(given))]  # the very objects given, in the fresh order


def test_kept_orders_equal_fresh_sorts(tmp_path: Path) -> None:
    given = questions(tmp_path)
    assert len(given) > 10
    for order in (listings.top_voted, listings.newest):
        orders._KEPT.clear()
        same(order, given)
        same(order, given)  # the same objects: the positions kept
        given[3] = dataclasses.replace(given[3])  # reloaded, the same fields
        same(order, given)
        given[5] = dataclasses.replace(given[5], votes=given[5].votes + 1000)  # to the top of the top-voted order
        same(order, given)
        given[7] = dataclasses.replace(given[7], date=given[7].date + dt.timedelta(days=3650))  # the newest
        same(order, given)
        given[2], given[9] = given[9], given[2]  # another place in the site's list
        same(order, given)
        del given[4]
        same(order, given)
        given = questions(tmp_path / order.__name__)  # a new load: every object new
        same(order, given)


def test_a_question_added_or_deleted_shifts_the_kept_order_without_sorting_again(tmp_path: Path) -> None:
    site = questions(tmp_path)
    for name, fresh in (("top_voted", listings.top_voted), ("newest", listings.newest)):
        sorted_lengths: list[int] = []

        def order(
            given: list[Question], fresh: orders.Order = fresh, lengths: list[int] = sorted_lengths
        ) -> list[Question]:
            lengths.append(len(given))
            return fresh(given)

        orders._KEPT.clear()
        given = list(site)
        same(order, given)
        for at in (0, 4, len(given) - 1, 7):  # deleted: the first, the middle, the last
            removed = given.pop(at)
            sorted_lengths.clear()
            same(order, given)
            assert sorted_lengths == [len(given)]  # only ``same``'s fresh sort: ``kept`` did not sort
            for place, newer in ((at, removed), (0, dataclasses.replace(removed, slug=f"new-{name}", votes=3))):
                given.insert(place, newer)  # back where it was, then a new one first in the site's list
                sorted_lengths.clear()
                same(order, given)
                assert sorted(sorted_lengths)[:-1] == [2] * (len(sorted_lengths) - 1)  # pairs, then ``same``'s
                given.pop(place)
                sorted_lengths.clear()
                same(order, given)
                assert sorted_lengths == [len(given)]
            given.insert(at, removed)
            same(order, given)
        del given[2:4]  # two questions at once: sorted again
        sorted_lengths.clear()
        same(order, given)
        assert sorted_lengths.count(len(given)) == 2


def test_the_sites_last_modified_order_sorted_once_gives_every_feeds_questions(tmp_path: Path) -> None:
    site = demo(tmp_path)
    oldest = min(site.questions, key=lambda q: q.date)
    oldest.edited = max(q.last_modified for q in site.questions) + dt.timedelta(days=1)  # before the order is made
    latest = feeds.latest_of(site)
    assert feeds.latest_of(site) is latest  # once a site: the graph's plan and the generator's feeds share it
    parts = [site.questions, *site.by_category.values(), *site.by_tag.values()]
    for part in parts:
        assert [id(q) for q in latest(part)] == [id(q) for q in feeds.latest(part)]
    assert latest(site.questions)[0] is oldest  # its edit: last modified, not by its date
    stamps = feeds.modified_of(site)
    assert feeds.modified_of(site) is stamps and stamps == {id(q): q.last_modified for q in site.questions}
