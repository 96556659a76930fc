"""Decode ESC/POS bytes back into what the paper shows, as lines or as safe HTML."""

from __future__ import annotations

import enum
import html
from dataclasses import dataclass, replace

ESC, GS, DLE, FS = 0x1B, 0x1D, 0x10, 0x1C

# ESC commands by how many parameter bytes follow the command letter.
_ESC_NO_PARAMETER = set(b"@2<")
_ESC_ONE_PARAMETER = set(b" !%-3=?EGJMRTUVadertu{")
_ESC_TWO_PARAMETERS = set(b"$\\cf")
_GS_ONE_PARAMETER = set(b"!BHIabfhrw/|")
_GS_TWO_PARAMETERS = set(b"$LPW\\")
_FS_LENGTHS = {ord("&"): 2, ord("."): 2, ord("p"): 4}
_CODEPAGES = {0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 16: "cp1252",
              17: "cp866", 18: "cp852", 19: "cp858"}


class LineKind(enum.Enum):
    """What a preview line stands for on paper."""

    TEXT = "text"
    QR = "qr"
    IMAGE = "image"
    CUT = "cut"


class Alignment(enum.Enum):
    """Horizontal justification set by ESC a."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class PreviewLine:
    """One printed line: its text, or the QR content, with the style it printed in."""

    kind: LineKind
    text: str = ""
    align: Alignment = Alignment.LEFT
    bold: bool = False
    underline: bool = False
    invert: bool = False
    width: int = 1
    """Character width magnification, 1-8."""
    height: int = 1
    """Character height magnification, 1-8."""
    image_size: tuple[int, int] | None = None
    """Dots across and down, for IMAGE lines."""

    @property
    def large(self) -> bool:
        """Say whether the line prints larger than normal text."""
        return self.width > 1 or self.height > 1


@dataclass
class _Style:
    """Print modes currently in effect."""

    align: Alignment = Alignment.LEFT
    bold: bool = False
    underline: bool = False
    invert: bool = False
    width: int = 1
    height: int = 1
    codepage: str = "cp437"


class _Decoder:
    """Walk the byte stream, keeping the printer's state."""

    def __init__(self, data: bytes, width_chars: int) -> None:
        self.data = data
        self.width_chars = width_chars
        self.style = _Style()
        self.lines: list[PreviewLine] = []
        self.buffer: list[str] = []
        self.line_style: _Style | None = None
        self.qr_content = ""

    def emit(self, kind: LineKind, text: str = "", **extra) -> None:
        """Append a line in the style that was current when it started."""
        style = self.line_style or self.style
        self.lines.append(PreviewLine(
            kind, text, style.align, style.bold, style.underline, style.invert,
            style.width, style.height, **extra,
        ))

    def flush(self, force: bool = False) -> None:
        """Print the buffered characters, wrapping where the printer would."""
        if not self.buffer and not force:
            return
        text = "".join(self.buffer)
        style = self.line_style or self.style
        fits = max(1, self.width_chars // style.width)
        chunks = [text[i:i + fits] for i in range(0, len(text), fits)] or [""]
        for chunk in chunks:
            self.emit(LineKind.TEXT, chunk.rstrip())
        self.buffer, self.line_style = [], None

    def add_text(self, raw: bytes) -> None:
        """Buffer printable characters."""
        if self.line_style is None:
            self.line_style = replace(self.style)
        self.buffer.append(raw.decode(self.style.codepage, errors="replace"))

    def run(self) -> list[PreviewLine]:
        """Decode everything and return the lines."""
        i = 0
        while i < len(self.data):
            byte = self.data[i]
            i = self.control(i) if byte < 0x20 or byte == 0x7F else self.printable(i)
        self.flush()
        return self.lines

    def printable(self, i: int) -> int:
        """Buffer the run of printable characters at i and return the index after it."""
        data, end = self.data, i
        while end < len(data) and data[end] >= 0x20 and data[end] != 0x7F:
            end += 1
        self.add_text(data[i:end])
        return end

    def control(self, i: int) -> int:
        """Handle the control byte at i (a command's first byte) and return the index after it."""
        data, byte = self.data, self.data[i]
        if byte == 0x0A:
            self.flush(force=True)
        elif byte == 0x0C:
            self.flush()
        elif byte == 0x09:
            self.add_text(b" " * (8 - len("".join(self.buffer)) % 8))
        elif byte == ESC:
            return self.escape(i)
        elif byte == GS:
            return self.group(i)
        elif byte == DLE:
            return i + (5 if data[i + 1:i + 2] == b"\x14" else 3)
        elif byte == FS:
            return i + _FS_LENGTHS.get(data[i + 1] if i + 1 < len(data) else 0, 3)
        return i + 1

    def escape(self, i: int) -> int:
        """Handle ESC x and return the index after it."""
        command = self.data[i + 1] if i + 1 < len(self.data) else 0
        parameter = self.data[i + 2] if i + 2 < len(self.data) else 0
        after = self.escape_with_data(i, command, parameter)
        if after is not None:
            return after
        self.escape_mode(command, parameter)
        if command in _ESC_ONE_PARAMETER:
            return i + 3
        if command in _ESC_TWO_PARAMETERS:
            return i + 4
        return i + 2

    def escape_with_data(self, i: int, command: int, parameter: int) -> int | None:
        """Handle the ESC commands whose length depends on their data (ESC * bit image,
        ESC p pulse, ESC D tab stops): the index after them, or None for any other."""
        if command == ord("*") and i + 4 < len(self.data):
            dots = self.data[i + 3] + self.data[i + 4] * 256
            length = dots * (3 if parameter & 0x20 else 1)
            self.flush()
            self.emit(LineKind.IMAGE, image_size=(dots, 24 if parameter & 0x20 else 8))
            return i + 5 + length
        if command == ord("p"):
            return i + 5
        if command == ord("D"):
            end = self.data.find(b"\x00", i + 2)
            return len(self.data) if end < 0 else end + 1
        return None

    def escape_mode(self, command: int, parameter: int) -> None:
        """Apply an ESC command of fixed length: a print mode, a reset or a feed."""
        if command == ord("@"):
            self.flush()
            self.style = _Style()
        elif command == ord("!"):
            self.style.bold = bool(parameter & 0x08)
            self.style.height = 2 if parameter & 0x10 else 1
            self.style.width = 2 if parameter & 0x20 else 1
            self.style.underline = bool(parameter & 0x80)
        elif command in (ord("E"), ord("G")):
            self.style.bold = bool(parameter & 1)
        elif command == ord("-"):
            self.style.underline = bool(parameter & 3)
        elif command == ord("a"):
            self.style.align = (Alignment.LEFT, Alignment.CENTER, Alignment.RIGHT)[
                min(parameter & 3, 2)]
        elif command == ord("t"):
            self.style.codepage = _CODEPAGES.get(parameter, "cp437")
        elif command == ord("d"):
            self.feed_lines(parameter)
        elif command == ord("J"):
            self.flush()

    def feed_lines(self, count: int) -> None:
        """ESC d n: print the buffer and feed n lines; a partial line uses up one of them."""
        blank_lines = count - 1 if self.buffer else count
        self.flush()
        for _ in range(blank_lines):
            self.emit(LineKind.TEXT)

    def group(self, i: int) -> int:
        """Handle GS x and return the index after it."""
        data = self.data
        command = data[i + 1] if i + 1 < len(data) else 0
        parameter = data[i + 2] if i + 2 < len(data) else 0
        if command == ord("!"):
            self.style.width = ((parameter >> 4) & 7) + 1
            self.style.height = (parameter & 7) + 1
        elif command == ord("B"):
            self.style.invert = bool(parameter & 1)
        elif command == ord("V"):
            self.flush()
            self.emit(LineKind.CUT)
            return i + (4 if parameter >= 65 else 3)
        elif command == ord("(") and i + 4 < len(data):
            length = data[i + 3] + data[i + 4] * 256
            self.function(data[i + 2], data[i + 5:i + 5 + length])
            return i + 5 + length
        elif command == ord("v") and i + 7 < len(data):
            width_bytes = data[i + 4] + data[i + 5] * 256
            dots_down = data[i + 6] + data[i + 7] * 256
            self.flush()
            self.emit(LineKind.IMAGE, image_size=(width_bytes * 8, dots_down))
            return i + 8 + width_bytes * dots_down
        elif command == ord("k"):
            return self.barcode(i, parameter)
        elif command == ord("8") and i + 6 < len(data):
            length = int.from_bytes(data[i + 3:i + 7], "little")
            self.flush()
            self.emit(LineKind.IMAGE)
            return i + 7 + length
        if command in _GS_ONE_PARAMETER:
            return i + 3
        if command in _GS_TWO_PARAMETERS:
            return i + 4
        return i + 2

    def function(self, letter: int, body: bytes) -> None:
        """Handle GS ( k (2D codes) and GS ( L (graphics)."""
        if letter == ord("k") and len(body) >= 2 and body[0] == ord("1"):
            if body[1] == 80:  # store the data: cn fn m d1...dk
                self.qr_content = body[3:].decode("utf-8", errors="replace")
            elif body[1] == 81:  # print the stored code
                self.flush()
                self.emit(LineKind.QR, self.qr_content)
        elif letter == ord("L") and len(body) >= 2 and body[1] == ord("2"):
            self.flush()
            self.emit(LineKind.IMAGE)

    def barcode(self, i: int, kind: int) -> int:
        """Skip a 1D barcode, showing its data as text."""
        if kind <= 6:
            end = self.data.find(b"\x00", i + 3)
            end = len(self.data) if end < 0 else end
            content, after = self.data[i + 3:end], end + 1
        else:
            length = self.data[i + 3] if i + 3 < len(self.data) else 0
            content, after = self.data[i + 4:i + 4 + length], i + 4 + length
        self.flush()
        self.emit(LineKind.TEXT, f"|||| {content.decode('ascii', errors='replace')} ||||")
        return after


def preview_text(data: bytes, width_chars: int = 42) -> list[PreviewLine]:
    """Decode ESC/POS bytes into the lines the paper shows."""
    return _Decoder(data, width_chars).run()


PREVIEW_CSS = """
.escpos-paper { font-family: monospace; background: #fff; color: #000; padding: 1ch;
  width: calc(var(--escpos-columns) * 1ch); border: 1px solid #ccc; }
.escpos-line { white-space: pre; min-height: 1.2em; overflow: hidden;
  font-size: calc(var(--w) * 1em); line-height: calc(1.2 * var(--h) / var(--w)); }
.escpos-line > span { display: inline-block; transform: scaleY(calc(var(--h) / var(--w)));
  transform-origin: center; }
.escpos-center { text-align: center; } .escpos-right { text-align: right; }
.escpos-bold { font-weight: bold; } .escpos-underline { text-decoration: underline; }
.escpos-invert > span { background: #000; color: #fff; }
.escpos-qr-box, .escpos-image-box { display: inline-block; border: 2px solid #000;
  width: 12ch; height: 12ch; line-height: 12ch; text-align: center; }
.escpos-qr-url { display: block; font-size: 0.8em; word-break: break-all; white-space: normal; }
.escpos-cut { border-top: 2px dashed #888; margin: 0.5em 0; color: #888; text-align: center; }
"""
"""Styles for preview_html, for a page to include once."""


def _html_line(line: PreviewLine) -> str:
    """Render one preview line as escaped HTML."""
    if line.kind is LineKind.CUT:
        return '<div class="escpos-cut" role="separator" aria-label="potong / cut">&#9986;</div>'
    classes = ["escpos-line", f"escpos-{line.align.value}"]
    classes += [name for name, on in (("escpos-bold", line.bold),
                                      ("escpos-underline", line.underline),
                                      ("escpos-invert", line.invert),
                                      ("escpos-large", line.large)) if on]
    opening = (f'<div class="{" ".join(classes)}" style="--w: {line.width}; '
               f'--h: {line.height}">')
    if line.kind is LineKind.QR:
        content = html.escape(line.text, quote=True)
        return (f'{opening}<div class="escpos-qr-box" role="img" aria-label="QR: {content}">QR'
                f'</div><span class="escpos-qr-url">{content}</span></div>')
    if line.kind is LineKind.IMAGE:
        size = "x".join(str(n) for n in line.image_size) if line.image_size else ""
        return f'{opening}<div class="escpos-image-box" role="img">{size}</div></div>'
    return f"{opening}<span>{html.escape(line.text, quote=True)}</span></div>"


def preview_html(data: bytes, width_chars: int = 42) -> str:
    """Render ESC/POS bytes as an HTML fragment of the paper; every text is escaped."""
    lines = "\n".join(_html_line(line) for line in preview_text(data, width_chars))
    return (f'<div class="escpos-paper" style="--escpos-columns: {int(width_chars)}">\n'
            f"{lines}\n</div>")
