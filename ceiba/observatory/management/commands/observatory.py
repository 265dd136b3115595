"""`ceiba observatory …`: seed the indicators, import publisher files, load the demo.

ceiba observatory seed
ceiba observatory import unodc-portal data_iafq_firearms_trafficking.xlsx [--indicator firearms-seized]
ceiba observatory import owid homicide-rate-unodc.csv
ceiba observatory demo [--data ../shared/data]
ceiba observatory vendor          refresh the vendored chart libraries and the map (needs npm)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ceiba.observatory import geo, services
from ceiba.observatory.choices import SourceFormat
from ceiba.observatory.demo import load_observatory_demo


class ProgressBar:
    """A one-line progress bar on standard error (no dependency)."""

    def __init__(self, stream: Any, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.last = -1

    def __call__(self, percent: float, message: str = "") -> None:
        step = int(percent)
        if step == self.last and not message:
            return
        self.last = step
        filled = int(self.width * percent / 100)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"[{bar}] {percent:5.1f}%  {time.monotonic() - self.started:5.1f}s  {message}"
        if self.interactive:
            self.stream.write("\r" + line[:120].ljust(120))
        elif message or step % 10 == 0:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Observatory: seed the indicators, import a publisher file, or load the demo."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("seed", help="Create the states (if missing) and the indicator catalogue.")
        imp = sub.add_parser("import", help="Import a publisher file (all or nothing).")
        imp.add_argument("kind", choices=SourceFormat.values, help="the file's format")
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--indicator", action="append", default=[], help="import only this indicator (repeatable)"
        )
        imp.add_argument("--quiet", action="store_true", help="no progress bar")
        demo = sub.add_parser(
            "demo", help="Seed, import the real files of a data folder, add demo transparency records."
        )
        demo.add_argument(
            "--data",
            type=Path,
            default=None,
            help="folder with owid/, sipri/, unodc/ (default: ../shared/data)",
        )
        sub.add_parser(
            "vendor", help="Refresh the vendored chart libraries and the map of the Americas (needs npm)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        action = options["action"]
        if action == "seed":
            states = services.states_ensure()
            indicators = services.indicators_seed()
            self.stdout.write(f"States created: {states}. Indicators created: {indicators}.")
            return
        if action == "demo":
            report = load_observatory_demo(
                options["data"], progress=lambda name: self.stdout.write(f"importing {name}")
            )
            self.stdout.write(
                f"Observatory demo: {report.states} states and {report.indicators} indicators created, "
                f"{len(report.releases)} files imported, {report.transparency} transparency records."
            )
            return
        if action == "vendor":
            vendor(self.stdout)
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        bar = None if options["quiet"] else ProgressBar(sys.stderr)
        started = time.monotonic()
        try:
            release = services.release_import(
                source_format=options["kind"],
                content=path.read_bytes(),
                file_name=path.name,
                indicator_slugs=options["indicator"],
                progress=bar,
            )
        except services.ImportFailed as failure:
            if bar:
                bar.close()
            raise CommandError("Nothing was imported:\n  " + "\n  ".join(failure.messages)) from failure
        if bar:
            bar.close()
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Imported {path.name} as release #{release.pk} in {elapsed:.1f}s "
            f"({release.rows_read / max(elapsed, 1e-9):,.0f} rows/s): {release.rows_read} rows read, "
            f"{release.values_created} values added, {release.values_updated} revised, "
            f"{release.values_unchanged} confirmed."
        )
        for reason, count in sorted(release.report.get("skipped", {}).items()):
            self.stdout.write(f"  skipped: {reason}: {count}")
        if release.report.get("unmatched_names"):
            self.stdout.write(
                "  names that match no country (add an alias to import them): "
                + ", ".join(release.report["unmatched_names"])
            )
        if release.report.get("conflict_count"):
            self.stdout.write(
                f"  {release.report['conflict_count']} repeated breakdown rows with other values: "
                "first kept, listed for review"
            )
        if release.values_missing:
            self.stdout.write(
                self.style.WARNING(
                    f"  {release.values_missing} values of the previous release are missing from this one: "
                    "kept, flagged for review."
                )
            )


#: npm packages vendored for the observatory's charts and map: (package, version, files to copy).
VENDORED = [
    ("vega", "6.4.0", ["build/vega.min.js"]),
    ("vega-lite", "6.5.0", ["build/vega-lite.min.js"]),
    ("vega-embed", "7.3.0", ["build/vega-embed.min.js"]),
    ("vega-interpreter", "2.3.2", ["build/vega-interpreter.js"]),
    ("world-atlas", "2.0.2", ["countries-50m.json"]),
]


def classic_interpreter(source: str) -> str:
    """vega-interpreter ships as an ES module importing vega-util; the page's CSP forbids inline
    import maps, so turn it into a classic script that takes vega-util's functions from the global
    `vega` (which re-exports them) and exposes `window.vegaInterpreter`."""
    source = re.sub(
        r"^import \{ ([^}]+) \} from 'vega-util';$",
        lambda m: f"const {{ {m.group(1)} }} = window.vega;",
        source,
        flags=re.MULTILINE,
    )
    source = re.sub(
        r"^export \{ expression as expressionInterpreter \};$",
        "window.vegaInterpreter = { expressionInterpreter: expression };",
        source,
        flags=re.MULTILINE,
    )
    source = re.sub(r"^//# sourceMappingURL=.*$", "", source, flags=re.MULTILINE)
    return "(function () {\n" + source + "\n})();\n"


def vendor(out: Any) -> None:
    from django.conf import settings

    target_root = Path(settings.BASE_DIR) / "ceiba" / "static" / "ceiba" / "vendor"
    with tempfile.TemporaryDirectory() as tmp:
        for package, version, files in VENDORED:
            # A fixed command with pinned package names: no user input reaches it.
            subprocess.run(  # noqa: S603
                ["npm", "pack", "--silent", f"{package}@{version}"],  # noqa: S607
                cwd=tmp,
                check=True,
                capture_output=True,
            )
            with tarfile.open(Path(tmp) / f"{package}-{version}.tgz") as archive:
                archive.extractall(Path(tmp) / package, filter="data")
            source = Path(tmp) / package / "package"
            target = target_root / package
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(source / "LICENSE", target / "LICENSE")
            for name in files:
                if package == "vega-interpreter":
                    (target / "vega-interpreter.js").write_text(
                        classic_interpreter((source / name).read_text())
                    )
                elif name.endswith(".js"):
                    # The source maps are not vendored: drop the references that would point to them.
                    text = re.sub(
                        r"^//# sourceMappingURL=.*$", "", (source / name).read_text(), flags=re.MULTILINE
                    )
                    (target / Path(name).name).write_text(text)
                else:
                    shutil.copy(source / name, target / Path(name).name)
            out.write(f"vendored {package}@{version}")
    build_map(target_root / "world-atlas")
    out.write("built world-atlas/americas-50m.json and americas-markers.json")


def build_map(folder: Path) -> None:
    import pycountry

    from ceiba.core.demo import STATES

    topology = json.loads((folder / "countries-50m.json").read_text())
    states = {pycountry.countries.get(alpha_3=iso3).numeric for iso3 in STATES}  # type: ignore[union-attr]
    americas = geo.subset(topology, states | geo.CONTEXT_TERRITORIES)
    (folder / "americas-50m.json").write_text(json.dumps(americas, separators=(",", ":")))
    (folder / "americas-markers.json").write_text(
        json.dumps(geo.markers(topology, states), separators=(",", ":"))
    )
