"""The Werkbedrijf's reports over the read models: outcome figures (`outcomes`, pure), their
rows read in one query (`read`), the HTML page with its charts (`html`) and the statistics
export per trajectory (`statistics`)."""
