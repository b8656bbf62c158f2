"""The OOXML layer: everything that knows how Word and Excel files are put together.

Like python-docx's `oxml`, it sits apart from the domain code: readers, the
accessibility check and the annotated copies all open files and read styles
through it, and it imports nothing from them.

- `namespaces`: namespace URIs, relationship types, the Strict -> transitional map;
- `package`: safe opening of a package under the limits (sniffing, zip limits,
  no DTDs or entities, Strict mapping), `PackageError`, a workbook's cell limits;
- `styles`: the styles part (names, basedOn chains, the one heading-level
  resolver) and the numbering part;
- `wordml`: the walk of a Word body in reading order and `anchor_elements`.
"""
