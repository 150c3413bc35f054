-- How many chunks hold each word: a search leaves out words so common that ranking by them would
-- mean scoring most of the chunks while saying little about which one is best.
CREATE VIRTUAL TABLE `knowledge_chunk_terms` USING fts5vocab('knowledge_chunk_search', 'row');
