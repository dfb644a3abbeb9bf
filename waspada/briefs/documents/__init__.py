"""Writing briefs: `outline` (the blocks of each document, shared), `docx_writer` (Word, with
real headings and tables) and `pdf_writer` (PDF)."""
