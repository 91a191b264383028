"""Report documents made from the read side's plain dicts: CSV and XLSX tables, SVG
charts, the printable performance report (PDF). No Flask, no database: the caller hands
in translated labels."""
