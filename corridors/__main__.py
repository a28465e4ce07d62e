"""``python -m corridors``."""

from corridors.cli import main

raise SystemExit(main())
