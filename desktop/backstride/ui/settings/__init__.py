"""Edit > Settings… (Ctrl+,): one dialog for the app's settings (dialog.py), and starting
Backstride on login (autostart.py)."""
