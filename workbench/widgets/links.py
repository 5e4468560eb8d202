"""Where a participant opens the workshop: the link the facilitator shows, the region it asks for.

Voilà gives each page's kernel the request as CGI-style environment variables (`QUERY_STRING`,
`SERVER_NAME`, ...): a link `http://host:8866/?region=saxony` opens the workshop of Saxony.
`serve.py` hands the facilitator's kernel the participants' link in `WORKBENCH_PARTICIPANT_URL`.
"""
from __future__ import annotations

import io
import os
import socket
from collections.abc import Mapping
from urllib.parse import parse_qs

PARTICIPANT_URL_ENV = "WORKBENCH_PARTICIPANT_URL"
DEFAULT_PORT = 8866


def requested_region(default: str, env: Mapping[str, str] | None = None) -> str:
    """The `region` of the page's query string (`?region=saxony`), else `default`."""
    query = parse_qs((os.environ if env is None else env).get("QUERY_STRING", ""))
    return query.get("region", [default])[0].strip() or default


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent), else its host name.

    Connecting a UDP socket only chooses the outgoing interface; nothing leaves the machine.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return socket.gethostname()


def participant_url(region: str, port: int = DEFAULT_PORT, host: str | None = None) -> str:
    """The address participants open: this machine's network address, the workshop port and region."""
    return f"http://{host or lan_address()}:{port}/?region={region}"


def shown_participant_url(region: str, env: Mapping[str, str] | None = None) -> str:
    """`$WORKBENCH_PARTICIPANT_URL` (set by `serve.py`), else the default workshop port on this machine."""
    given = (os.environ if env is None else env).get(PARTICIPANT_URL_ENV, "")
    return given or participant_url(region)


def qr_svg(url: str) -> str | None:
    """The link as an inline SVG QR code, or None when the optional `qrcode` package is missing."""
    try:
        import qrcode
        import qrcode.image.svg
    except ImportError:
        return None
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    text = buffer.getvalue().decode("utf-8")
    return text[text.index("<svg"):]
