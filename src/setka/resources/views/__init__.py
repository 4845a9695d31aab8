"""Pages of the resource centres (see the modules)."""
