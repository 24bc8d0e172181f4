from tests.install_check import stop_if_modules_are_unlinked

# Before any test module imports casebook, whose imports would fail first and name neither cause nor fix.
stop_if_modules_are_unlinked()
