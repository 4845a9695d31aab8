"""The programmes' API: offers (the catalogue and the provider's management), applications,
network agreements, the map of the network and credited results."""
