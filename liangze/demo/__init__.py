"""Every demo seeder and generator: the production apps hold none."""
