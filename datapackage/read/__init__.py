"""The typed core: each resource CSV read once, with the physical line of every
record, its columns converted once to their Table Schema types and kept on disk
for the writers. Every check and every output reads these typed columns."""
