"""The content of briefs, read as their reader: `periodic` (daily, weekly, monthly briefs of an
area) and `information` (the Laporan Informasi of one event); `formatting` writes Indonesian
dates and numbers, `periods` knows the period of each kind."""
