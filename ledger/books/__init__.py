"""The demo books of the Dongshan centre, 2012."""
