"""The ``annotator`` command line: thin click commands over ``annotator.api``."""
from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

import click

from . import __version__, api
from .core.errors import AnnotatorError
from .ops.exporting import DEFAULT_FORMAT as DEFAULT_EXPORT_FORMAT


class _Group(click.Group):
    """Turns every AnnotatorError into its message and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AnnotatorError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="annotator")
def cli() -> None:
    """Label news corpora for machine learning: spans, relations, review, export."""


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scheme", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Scheme JSON file (default: the news scheme).")
@click.option("--language", default="en", show_default=True, help="spaCy language code for tokenisation.")
def init(project: Path, scheme: Path | None, language: str) -> None:
    """Create a new PROJECT file."""
    with api.init_project(project, scheme=scheme, language=language) as proj:
        click.echo(f"Created {project} with scheme {proj.scheme.name!r} ({len(proj.scheme.labels)} labels, {len(proj.scheme.relations)} relation types)")


PROGRESS_LINES_HELP = "Print progress and the result as JSON lines on stdout, for a program running this one."


def _progress_line(**fields) -> None:
    """One machine-readable line on stdout (``--progress-lines``)."""
    click.echo(json.dumps(fields))
    sys.stdout.flush()


class _Progress:
    """A progress line on stderr: a bar when the total is known, with docs/s."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        if total:
            filled = int(30 * min(done / total, 1))
            bar = f"[{'#' * filled}{'-' * (30 - filled)}] {done}/{total}"
        else:
            bar = f"{done} records"
        click.echo(f"\r{bar}  {rate:,.0f} docs/s", nl=False, err=True)

    def finish(self) -> None:
        if self.enabled:
            click.echo("", err=True)


@cli.command("import")
@click.argument("project", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", help="Input format (default: detected). See `annotator formats`.")
@click.option("--preannotate", default="rules", show_default=True, help="Pre-annotator: rules, a model folder, an installed spaCy pipeline, or none.")
@click.option("--annotator", help="Owner of the annotations in the files, whatever owner a file gives (default: the file's annotator, else 'import').")
@click.option("--skip-invalid", is_flag=True, help="Import the good records and list the rejected ones.")
@click.option("--add-labels", is_flag=True, help="Add labels and relation types the files (or the pre-annotator) use to the scheme.")
@click.option("--replace-existing", is_flag=True, help="Where a document already has a set for the owner, take the file's version (one undoable edit per set).")
def import_(project: Path, sources: tuple[Path, ...], fmt: str | None, preannotate: str, annotator: str | None, skip_invalid: bool, add_labels: bool, replace_existing: bool) -> None:
    """Import SOURCES (files or folders) into PROJECT, pre-annotating new documents."""
    progress = _Progress()
    with api.open_project(project) as proj:
        try:
            report = api.import_files(
                proj, sources, format=fmt, preannotate=preannotate, annotator=annotator,
                skip_invalid=skip_invalid, add_labels=add_labels, replace_existing=replace_existing, progress=progress,
            )
        finally:
            progress.finish()
    for problem in report.rejected:
        click.echo(f"rejected {problem.source}: {problem.reason}", err=True)
    for warning in report.warnings():
        click.echo(f"warning: {warning}", err=True)
    if report.labels_added or report.relation_types_added:
        click.echo(f"Added to the scheme: {', '.join(report.labels_added + report.relation_types_added)}")
    click.echo(f"Imported: {report.summary()}")


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--format", "fmt", default=DEFAULT_EXPORT_FORMAT, show_default=True, help="Output format. See `annotator formats`.")
@click.option("--set", "owner", default="", help="Whose annotations: an annotator, 'gold' or 'model:rules' (default: gold if any, else every annotator).")
@click.option("--status", type=click.Choice(["done", "all"]), default="done", show_default=True, help="done: finished and reviewed sets only.")
@click.option("--split", type=float, help="Dev fraction: OUT becomes a folder with train and dev files, split by document.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for --split.")
def export(project: Path, out: Path, fmt: str, owner: str, status: str, split: float | None, seed: int) -> None:
    """Export PROJECT's annotations to OUT."""
    with api.open_project(project) as proj:
        reports = api.export(proj, out, format=fmt, owner=owner, status=status, split=split, seed=seed)
    for name, report in reports.items():
        where = ", ".join(str(f) for f in report.files[:3]) + (" ..." if len(report.files) > 3 else "")
        click.echo(f"{name}: {report.documents} documents, {report.spans} spans, {report.relations} relations -> {where}")
    for warning in reports.warnings():
        click.echo(f"warning: {warning}", err=True)


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(project: Path, as_json: bool) -> None:
    """Show PROJECT's documents, sets by status, and spans and relations per label."""
    with api.open_project(project) as proj:
        data = api.stats(proj)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"documents: {data['documents']}")
    click.echo("sets:")
    for owner, by_status in data["sets"].items():
        click.echo(f"  {owner}: " + ", ".join(f"{s} {n}" for s, n in by_status.items()))
    for kind in ("spans", "relations"):
        click.echo(f"{kind}: {sum(data[kind].values())}")
        for label, n in data[kind].items():
            click.echo(f"  {label}: {n}")


def _dev_option(value: str) -> float | Path:
    try:
        return float(value)
    except ValueError:
        return Path(value)


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("output", type=click.Path(file_okay=False, path_type=Path))
@click.option("--set", "owner", default="", help="Whose annotations to learn from (default: gold if any, else every annotator).")
@click.option("--from", "base", help="Continue training from a model folder or an installed spaCy pipeline.")
@click.option("--dev", default="0.2", show_default=True, help="Fraction of documents held out to choose the number of epochs (the final model learns from all), or a project file to choose the best epoch on.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for the split and for training.")
@click.option("--max-epochs", type=int, default=30, show_default=True, help="Most epochs when training from nothing.")
@click.option("--epochs", "continue_epochs", type=int, default=3, show_default=True, help="Epochs when continuing with --from.")
@click.option("--progress-lines", is_flag=True, help=PROGRESS_LINES_HELP)
def train(project: Path, output: Path, owner: str, base: str | None, dev: str, seed: int, max_epochs: int,
          continue_epochs: int, progress_lines: bool) -> None:
    """Train the project's model (entities with scores, relations) on PROJECT's finished documents into OUTPUT."""
    said: list[str] = []

    def report(fraction: float, message: str) -> None:
        if progress_lines:
            _progress_line(progress=fraction, message=message)
        elif not said or said[-1] != message:  # once per epoch, not per batch
            said.append(message)
            click.echo(f"[{100 * fraction:3.0f}%] {message}", err=True)

    with api.open_project(project) as proj:
        folder = api.train_model(
            proj, output, owner=owner, base=base, dev=_dev_option(dev), seed=seed, max_epochs=max_epochs,
            continue_epochs=continue_epochs, report=report,
        )
    if progress_lines:
        _progress_line(result={"model": str(folder)})
    else:
        click.echo(f"Model saved to {folder}; refresh suggestions with: annotator suggest {project} {folder}")


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("model")
@click.option("--set", "owner", default="", help="The reference annotations (default: gold if any, else every annotator's finished sets).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def evaluate(project: Path, model: str, owner: str, as_json: bool) -> None:
    """Precision, recall and F1 per label of MODEL's spans and relations on PROJECT's finished sets."""
    with api.open_project(project) as proj:
        result = api.evaluate_model(proj, model, owner=owner)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(result.table(), nl=False)


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("model")
@click.option("--progress-lines", is_flag=True, help=PROGRESS_LINES_HELP)
def suggest(project: Path, model: str, progress_lines: bool) -> None:
    """Refresh MODEL's suggestions on the documents of PROJECT no one has opened yet."""
    if progress_lines:
        with api.open_project(project) as proj:
            report = api.suggest(proj, model, progress=lambda done, total: _progress_line(progress=done / max(1, total or 1), message=f"{done} of {total} documents"))
        _progress_line(result=dataclasses.asdict(report))
        return
    progress = _Progress()
    with api.open_project(project) as proj:
        try:
            report = api.suggest(proj, model, progress=progress)
        finally:
            progress.finish()
    click.echo(report.summary())


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("others", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def merge(project: Path, others: tuple[Path, ...]) -> None:
    """Merge the documents and annotation sets of OTHERS (project files) into PROJECT.

    Documents match by text, sets by annotator; where both files changed a
    set, the later edit wins. OTHERS are only read. Running it again changes nothing.
    A PROJECT that does not exist is created with the scheme OTHERS share.
    """
    if not project.exists():
        report = api.merge_into_new(project, others)
    else:
        with api.open_project(project) as proj:
            report = api.merge_projects(proj, others)
    for line in report.lines():
        click.echo(line)


def _names(value: str | None) -> list[str] | None:
    return [n.strip() for n in value.split(",") if n.strip()] if value else None


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--annotators", help="Comma-separated annotators to compare (default: all but gold and model:*).")
@click.option("--labels", help="Comma-separated span labels to compare (default: all).")
@click.option("--all-documents", is_flag=True, help="Also compare documents not every annotator has marked done or reviewed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def agreement(project: Path, annotators: str | None, labels: str | None, all_documents: bool, as_json: bool) -> None:
    """Inter-annotator agreement in PROJECT: span F1, token kappa and alpha, relation F1."""
    with api.open_project(project) as proj:
        report = api.agreement(
            proj, annotators=_names(annotators), labels=_names(labels), include_unfinished=all_documents
        )
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(report.format_table(), nl=False)
    if report.documents == 0 and not all_documents:
        click.echo("No document is finished by every annotator; --all-documents compares unfinished sets too.")


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--annotators", help="Comma-separated annotators to compare; key k takes the k-th one's version (default: all but gold and model:*).")
@click.option("--auto", type=click.Choice(["unanimous", "majority", "off"]), default="unanimous", show_default=True, help="What a document's new gold set starts with.")
@click.option("--reviewer", help="Your name, recorded on every gold edit (default: the saved reviewer name, else asked once).")
@click.option("--screenshot", type=click.Path(dir_okay=False, path_type=Path), help="Save the window as a PNG to this file and exit.")
def review(project: Path, annotators: str | None, auto: str, reviewer: str | None, screenshot: Path | None) -> None:
    """Adjudicate PROJECT's annotators' finished sets into gold sets in the review window."""
    from .gui.review.launch import run_review

    sys.exit(run_review(project, _names(annotators), auto, screenshot=screenshot, reviewer=reviewer))


@cli.command("open")
@click.argument("project", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--annotator", help="Your name, recorded with every edit (default: the saved name, else asked once).")
@click.option("--screenshot", type=click.Path(dir_okay=False, path_type=Path), help="Save the window as a PNG to this file and exit.")
def open_(project: Path | None, annotator: str | None, screenshot: Path | None) -> None:
    """Open PROJECT in the labeling window (without PROJECT: the bundled sample project)."""
    from .gui.app import run

    sys.exit(run(project, annotator, screenshot=screenshot))


@cli.command()
def formats() -> None:
    """List the import and export formats."""
    from .formats import registry

    for spec in registry.formats().values():
        modes = "/".join(m for m, f in (("read", spec.reader), ("write", spec.writer)) if f)
        aliases = f" (also {', '.join(spec.aliases)})" if spec.aliases else ""
        click.echo(f"{spec.name:<12} {modes:<10} {spec.description}{aliases}")


def main() -> None:
    cli(prog_name="annotator")
