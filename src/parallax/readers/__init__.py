"""Input formats behind `parallax.read.Reader`: each module turns one kind of input into items.

A format never builds Articles and never keeps books: it yields `Member`s (bytes to be read again, such as a
file inside a zip or an HTML response inside a WARC), `Record`s (one article's fields from a JSON Lines or
CSV row, or a feed entry's page) and `Rejected`s (an item that cannot be read, with its reason). The reader
owns the bookkeeping: raw inputs, counts, drops and article ids. Adding a format is adding a module here and
one branch in the reader's dispatch.
"""
