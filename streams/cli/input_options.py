"""Options shared by the commands that read articles (``feed`` and ``extract``): the same inputs,
the same flags and the same error texts (see :mod:`streams.feed.sources`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from schemas.validation import ArticleError, parse_article_obj
from streams.feed.sources import FORMATS, Defaults

F = TypeVar("F", bound=Callable[..., Any])


def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:  # the worker's own rule, so a date the worker would refuse is refused here first
        parse_article_obj({"body": "x", "published": value})
    except ArticleError as exc:
        raise click.BadParameter(exc.reason.replace("field 'published'", "--published")) from None
    return value


def input_options(command: F) -> F:
    """Add ``--format``, ``--source`` and ``--published`` to a click command."""
    options = [
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
                     help="How to read files and stdin: auto = by file extension; on stdin JSON lines when the "
                          "first line starts with '{', else the whole input is the body of one article."),
        click.option("--source", "default_source", metavar="NAME",
                     help="Source (outlet) of articles that do not name one, e.g. .txt files and text on stdin."),
        click.option("--published", "default_published", metavar="DATE", callback=_published,
                     help="Publication date (ISO-8601) of articles that do not carry one."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def defaults_from(source: str | None, published: str | None) -> Defaults:
    """The :class:`Defaults` of the ``--source`` and ``--published`` flags."""
    return Defaults(source=source, published=published)
