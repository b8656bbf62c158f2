"""Word output: every generated .docx is a presentation Document rendered by `render_docx`.

- `styles`: the house style names, their fallback definitions, language and settings;
- `base`: the base package (a reference .docx or the built-in style) and deterministic packaging;
- `builder`: DocBuilder, which writes WordprocessingML into the body;
- `render`: blocks -> DocBuilder calls.
"""

from .render import render_docx

__all__ = ["render_docx"]
