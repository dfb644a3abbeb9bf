"""The parts of the report import (see `waspada.reports.importer`, its entry point)."""
