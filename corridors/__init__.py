"""Trade-corridor analysis: which states a route crosses and which it goes around."""
