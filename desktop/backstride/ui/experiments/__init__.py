"""The Experiments page (issue 15): test one change in planned on/off phases."""
