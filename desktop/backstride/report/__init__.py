"""The clinician report (issue 13): a PDF a physiotherapist reads in two minutes.

``options`` says what to print, ``data.build_report`` turns the runner's records into one
plain ``Report`` value (no reportlab), and ``pdf.render_pdf`` only draws that value.
Plain Python: the GUI previews and prints the bytes, the CLI writes them.
"""
