"""The Training page: runs, daily habits and shoes (issue 3)."""
