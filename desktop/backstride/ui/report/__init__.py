"""The clinician report in the app: options, a live preview, save and print (issue 13)."""
