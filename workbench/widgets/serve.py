"""Serve the workshop for a room, offline: participants' page and facilitator's page, two Voilà servers.

    .venv/bin/python -m workbench.widgets.serve --region saxony         # workshop + facilitator
    .venv/bin/python -m workbench.widgets.serve --notebook explorer    # the cluster explorer

The participants' server listens on every interface (`--port`, default 8866); the facilitator's
only on this machine (`--port + 1`), so participants cannot open the export and profile actions.
Both use the `workbench` Voilà template (`jupyter/voila/templates/workbench`): Voilà's lab template
without the two style sheets it links from a CDN (Voilà bundles the same icons locally), so the
pages ask no other host for anything.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from workbench import paths
from workbench.widgets.links import DEFAULT_PORT, PARTICIPANT_URL_ENV, participant_url

JUPYTER_DIR = Path(__file__).resolve().parent / "jupyter"
TEMPLATE = "workbench"


def voila_env(extra: Mapping[str, str] | None = None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a Voilà server: our template folder first on `JUPYTER_PATH`."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_DIR), env.get("JUPYTER_PATH", "")) if p)
    return env | dict(extra or {})


def voila_command(notebook: str, port: int, ip: str = "127.0.0.1") -> list[str]:
    """The command serving `notebooks/<notebook>.ipynb` with the offline template."""
    voila = Path(sys.executable).with_name("voila")
    return [str(voila), str(paths.NOTEBOOKS_DIR / f"{notebook}.ipynb"), f"--port={port}", "--no-browser",
            f"--Voila.ip={ip}", f"--template={TEMPLATE}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="saxony", help="region id of the workshop (default: saxony)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="participants' port (facilitator: +1)")
    parser.add_argument("--notebook", choices=["workshop", "explorer"], default="workshop")
    args = parser.parse_args(argv)
    if args.notebook == "explorer":
        servers = [(voila_command("explorer", args.port), voila_env())]
        print(f"Explorer: http://127.0.0.1:{args.port}/")
    else:
        link = participant_url(args.region, args.port)
        servers = [(voila_command("workshop", args.port, ip="0.0.0.0"), voila_env()),
                   (voila_command("facilitator", args.port + 1), voila_env({PARTICIPANT_URL_ENV: link}))]
        print(f"Participants: {link}\nFacilitator (this machine only): "
              f"http://127.0.0.1:{args.port + 1}/?region={args.region}\nStop with Ctrl-C.")
    processes = [subprocess.Popen(command, env=env) for command, env in servers]
    try:
        return max(process.wait() for process in processes)
    except KeyboardInterrupt:
        for process in processes:
            process.terminate()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
