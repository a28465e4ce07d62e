"""The pure policy and teaching tools: compare, closures, timeline, tour, uploads, words."""
