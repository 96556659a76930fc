"""The one label glossary of the staff pages, one module per language with the same keys.

The staff pages, the procedure pages and the printer panel all read it: templates through
t("key"), scripts through Staff.label("key"). tests/test_glossary.py keeps the languages
in step and checks that every key a template or a script names exists.
"""
