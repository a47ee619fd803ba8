"""The package's version, in a module of its own that imports nothing.

Every module that names the version imports it from here rather than from the root
package, whose lazy ``__getattr__`` loads the API: importing the root from inside the
package would close a loop through ``api`` back to the importer.
"""

__version__ = "0.1.0"
