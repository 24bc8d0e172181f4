"""casebook's builder: turns the validated corpus into the published site."""
