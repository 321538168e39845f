"""Getting data in: the dataset format (JSON Lines), its validation and the transactional loader."""
