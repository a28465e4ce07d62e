"""The printed map: a matplotlib snapshot for slides and paper, in a fitted projection."""
