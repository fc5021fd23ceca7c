"""Tables, repositories and the unit of work: the only package that speaks SQL."""
