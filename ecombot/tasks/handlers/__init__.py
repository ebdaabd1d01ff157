"""Task handlers by surface: commands, buttons, the form and its shortcuts, App Home."""
