CREATE TABLE `embedding_spaces` (
	`model` text PRIMARY KEY NOT NULL,
	`dimensions` integer NOT NULL,
	`table_name` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `embedding_spaces_table_name_unique` ON `embedding_spaces` (`table_name`);--> statement-breakpoint
CREATE TABLE `knowledge_chunks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`agent_id` integer NOT NULL,
	`position` integer NOT NULL,
	`text` text NOT NULL,
	`product` text,
	FOREIGN KEY (`source_id`) REFERENCES `knowledge_sources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `knowledge_chunks_agent_idx` ON `knowledge_chunks` (`agent_id`);--> statement-breakpoint
CREATE INDEX `knowledge_chunks_source_idx` ON `knowledge_chunks` (`source_id`,`position`);--> statement-breakpoint
CREATE TABLE `knowledge_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` integer NOT NULL,
	`file_id` text,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`error` text,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`file_id`) REFERENCES `files`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `knowledge_sources_agent_idx` ON `knowledge_sources` (`agent_id`);--> statement-breakpoint
ALTER TABLE `files` ADD `extraction_error` text;--> statement-breakpoint
-- Full-text search over knowledge chunks (BM25), an external-content FTS5 table kept current by
-- triggers. No stemming: word variants are the vector side's job.
CREATE VIRTUAL TABLE `knowledge_chunk_search` USING fts5(`text`, content = 'knowledge_chunks', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `knowledge_chunk_search_insert` AFTER INSERT ON `knowledge_chunks` BEGIN
	INSERT INTO `knowledge_chunk_search` (`rowid`, `text`) VALUES (new.`id`, new.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_chunk_search_delete` AFTER DELETE ON `knowledge_chunks` BEGIN
	INSERT INTO `knowledge_chunk_search` (`knowledge_chunk_search`, `rowid`, `text`) VALUES ('delete', old.`id`, old.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_chunk_search_update` AFTER UPDATE OF `text` ON `knowledge_chunks` BEGIN
	INSERT INTO `knowledge_chunk_search` (`knowledge_chunk_search`, `rowid`, `text`) VALUES ('delete', old.`id`, old.`text`);
	INSERT INTO `knowledge_chunk_search` (`rowid`, `text`) VALUES (new.`id`, new.`text`);
END;
