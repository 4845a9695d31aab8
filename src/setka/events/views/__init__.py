"""The pages of the events module (see the modules)."""
