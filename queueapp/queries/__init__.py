"""Read side: what boards, pages, screens and the API show, as plain dicts, one module
per area (tickets, boards, booking, kiosks, events). Reads never write."""
