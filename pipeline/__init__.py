"""attsats: reads Swedish municipal decision papers into one `Document`."""
