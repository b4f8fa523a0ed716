"""Command line: a thin layer that turns argv into :class:`Settings` and calls the library.

Library errors (:class:`StorylineError`) become one-line messages and exit codes here, in
one place (:func:`main`); nothing else in the package prints or exits.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline import report
from storyline.config import Settings
from storyline.errors import StorylineError
from storyline.model import Story

if TYPE_CHECKING:
    from storyline.pipeline import RunResult

# The pipeline and the stores pull in scikit-learn, SciPy and friends: they are imported
# inside the commands that need them, so `storyline --help` and errors stay instant.

log = logging.getLogger("storyline")

DB_HELP = "Database URL: sqlite:///FILE (default sqlite:///storyline.db) or postgresql://…"


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    obj = ctx.find_root().obj or {}
    return Settings.load(file=obj.get("config"), overrides={**obj.get("overrides", {}),
                                                            **overrides})


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """A rich progress bar on stderr when it is a terminal; a no-op callback otherwise."""
    console = _stderr()
    if not (enabled and console.is_terminal):
        yield lambda stage, done, total: None
        return
    with Progress(TextColumn("{task.description:<10}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total}"), TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", type=click.Path(dir_okay=False), default=None,
              help="TOML settings file ([storyline] table); env STORYLINE_* and flags override it.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress bars.")
@click.version_option(package_name="storyline")
@click.pass_context
def cli(ctx: click.Context, config: str | None, verbose: int, quiet: bool) -> None:
    """storyline: group noisy news articles into stories, with copies recognised and
    summaries, quotes, facts, entities and timelines cited to their articles."""
    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    level = logging.ERROR if quiet else levels[min(verbose, 2)]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("storyline")
    root.handlers[:] = [h for h in root.handlers if isinstance(h, logging.NullHandler)]
    # Skipped inputs are reported in the run summary; keep them out of the log unless -v.
    root.addHandler(handler)
    root.setLevel(level if verbose else logging.ERROR)
    ctx.obj = {"config": config, "overrides": {"progress": False} if quiet else {}}


def _print_run(console: Console, result: RunResult, db_url: str) -> None:
    stats = result.stats
    n = len(result.stories)
    table = Table(title=f"{n} {'story' if n == 1 else 'stories'} · {result.articles} articles · "
                        f"{result.read} read this run", title_justify="left")
    table.add_column("story")
    table.add_column("articles", justify="right")
    table.add_column("independent", justify="right")
    table.add_column("headline")
    for s in result.stories[:20]:
        table.add_row(s.story_id, str(len(s.articles)), str(s.independent_sources),
                      escape(s.headline))
    console.print(table)
    if len(result.stories) > 20:
        console.print(f"… and {len(result.stories) - 20} more stories (storyline export)")
    for s in result.stories[:3]:
        console.print(f"\n[bold]{escape(s.headline)}[/bold]  ({s.story_id})")
        for sentence in s.summary:
            cites = escape(" ".join(sentence.article_ids))
            console.print(f"  • {escape(sentence.text)} [dim]{cites}[/dim]")
    if stats is not None:
        console.print(f"\nstore {escape(db_url)}: {stats}")
    if result.skips:
        console.print(f"\n[yellow]skipped {len(result.skips)} input item(s):[/yellow]")
        for skip in result.skips:  # one line per skip, never wrapped (greppable)
            console.print(f"  - {escape(str(skip))}", soft_wrap=True)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a self-contained HTML report of all stories to this file.")
@click.option("--summary-words", type=int, default=None, help="Summary length in words (100).")
@click.option("--cluster-model", type=click.Path(dir_okay=False), default=None,
              help="Join-decision model from `storyline fit-clusterer` (default: shipped model).")
@click.pass_context
def run(ctx: click.Context, inputs: Sequence[str], db_url: str | None, report_path: str | None,
        summary_words: int | None, cluster_model: str | None) -> None:
    """Ingest INPUTS (folders, .txt/.json/.jsonl/.html/.warc files, or - for JSONL on stdin),
    link copies, cluster into stories, synthesize and store. Re-running is a no-op."""
    settings = _settings(ctx, db_url=db_url, summary_words=summary_words,
                         cluster_model=cluster_model)
    console = Console(highlight=False)
    with _progress(settings.progress) as progress:
        from storyline.pipeline import Pipeline

        result = Pipeline(settings, progress=progress).run(
            inputs, stdin=sys.stdin if "-" in inputs else None)
    _print_run(console, result, settings.db_url)
    if report_path:
        _write_report(settings, result.stories, Path(report_path))
        console.print(f"HTML report: {report_path}")


def _write_report(settings: Settings, stories: Sequence[Story], path: Path) -> None:
    from storyline.store import open_store

    with open_store(settings.db_url) as store:
        texts = {a.id: a.text for a in store.load_articles()}
    path.write_text(report.to_html(stories, texts), encoding="utf-8")


@cli.command()
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(report.EXPORT_FORMATS), default="jsonl",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
@click.pass_context
def export(ctx: click.Context, db_url: str | None, fmt: report.ExportFormat,
           output: str | None) -> None:
    """Export the stored stories as JSON Lines, JSON, Markdown or a self-contained HTML page."""
    settings = _settings(ctx, db_url=db_url)
    from storyline.store import open_store

    with open_store(settings.db_url, create=False) as store:
        stories = store.load_stories()
        texts = {a.id: a.text for a in store.load_articles()} if fmt == "html" else None
    _emit(report.render(stories, fmt, texts), output)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--summary-words", type=int, default=None, help="Summary length in words (100).")
@click.option("--format", "fmt", type=click.Choice(["json", "md"]), default="json",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
@click.pass_context
def story(ctx: click.Context, inputs: Sequence[str], summary_words: int | None, fmt: str,
          output: str | None) -> None:
    """Treat all INPUTS as ONE story and print its synthesis (nothing is stored)."""
    settings = _settings(ctx, summary_words=summary_words)
    from storyline.pipeline import Pipeline

    result = Pipeline(settings).story(inputs, stdin=sys.stdin if "-" in inputs else None)
    if fmt == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = report.story_markdown(result)
    _emit(text, output)


@cli.command("explain")
@click.argument("article_a", type=click.Path(dir_okay=False))
@click.argument("article_b", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.pass_context
def explain_command(ctx: click.Context, article_a: str, article_b: str, fmt: str) -> None:
    """Explain how similar two articles are (first article of each file): signals, shared
    entities/numbers/dates, aligned passages and a verdict (same story / related / different)."""
    from storyline.explain import explain_files, renderables

    result, notes = explain_files(article_a, article_b, _settings(ctx))
    if fmt == "json":
        _emit(json.dumps({**result.to_dict(), "notes": notes}, ensure_ascii=False, indent=2)
              + "\n", None)
    else:
        Console(highlight=False).print(*renderables(result, notes), sep="\n")


@cli.group("eval")
def eval_group() -> None:
    """Score storyline against labelled corpora (clustering, quotes, summaries)."""


# Evaluation commands are registered below; each body is a few lines over a library function.
# --- eval commands ---


@eval_group.command("clustering")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--gold-field", default="cluster", show_default=True,
              help="Record field holding the gold story (clusterNo for MStream).")
@click.option("--model", "model_path", type=click.Path(dir_okay=False), default=None,
              help="Cluster model file (storyline fit-clusterer); default: the packaged one.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def eval_clustering(ctx: click.Context, inputs: Sequence[str], gold_field: str,
                    model_path: str | None, as_json: bool) -> None:
    """Cluster labelled INPUTS and print pairwise/BCubed P/R/F1, NMI, ARI, story counts,
    articles/s and peak memory."""
    from storyline.evaluate import evaluate_clustering

    result = evaluate_clustering(inputs, _settings(ctx), gold_field=gold_field, model=model_path)
    _emit(result.to_json() if as_json else result.to_text(), None)


@cli.command("fit-clusterer")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--gold-field", default="cluster", show_default=True,
              help="Record field holding the gold story (clusterNo for MStream).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="Model file to write (JSON).")
@click.pass_context
def fit_clusterer_command(ctx: click.Context, inputs: Sequence[str], gold_field: str,
                          output: str) -> None:
    """Fit the clusterer's join model on labelled INPUTS and write it as JSON."""
    from storyline.evaluate import fit_clusterer

    model = fit_clusterer(inputs, _settings(ctx), gold_field=gold_field, output=output)
    click.echo(f"wrote {output}: threshold {model.threshold}, fitting BCubed F1 "
               f"{model.provenance.get('fitting_bcubed_f1')}")


@eval_group.command("quotes")
@click.argument("split_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--limit", type=int, default=None, help="Only the first N articles (sorted).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_quotes_command(split_dir: str, limit: int | None, as_json: bool) -> None:
    """Quote P/R/F1 and speaker accuracy of the quote ledger vs a naive baseline on a PolNeAR
    split directory (text/ + attributions/ BRAT files)."""
    from storyline.eval_quotes import evaluate_quotes

    result = evaluate_quotes(split_dir, limit=limit)
    text = json.dumps(result.to_dict(), indent=2) + "\n" if as_json else result.table()
    _emit(text, None)


@eval_group.command("summaries")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--words", type=int, default=100, show_default=True,
              help="Word budget; candidates and references are cut to it (DUC convention).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.pass_context
def eval_summaries_command(ctx: click.Context, directory: str, words: int, as_json: bool) -> None:
    """ROUGE-1/2/L (recall, F1) of storyline's summaries vs LEAD and LexRank baselines on
    DIRECTORY/<cluster>/ folders of articles with references/*.txt."""
    from storyline.eval_summaries import ROUGE_TYPES, evaluate_summaries

    result = evaluate_summaries(directory, _settings(ctx, progress=False), words=words)
    if as_json:
        _emit(json.dumps(result.to_dict(), indent=2) + "\n", None)
        return
    table = Table(title=f"ROUGE ×100 at {words} words · {len(result.clusters)} clusters · "
                        f"{result.multi_reference} over references", title_justify="left")
    table.add_column("system")
    for r in ROUGE_TYPES:
        table.add_column(f"{r} R", justify="right")
        table.add_column(f"{r} F1", justify="right")
    for system in result.systems:
        mean = result.mean(system)
        table.add_row(system, *(f"{mean[f'{r}_{m}']:.2f}" for r in ROUGE_TYPES
                                for m in ("recall", "f1")))
    Console(highlight=False).print(table)


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: runs the CLI and turns library errors into one-line messages."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="storyline",
                 standalone_mode=False)
    except StorylineError as exc:
        # One line, never wrapped: scripts grep for it.
        click.echo(f"error: {' '.join(str(exc).split())}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        _stderr().print("aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
