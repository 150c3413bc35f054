-- A streaming answer is stored about once a second; re-indexing it for search each time costs a
-- scan of the search table. Answers are indexed when they stop streaming (done, stopped, failed,
-- or marked interrupted at the next start) instead.
DROP TRIGGER `task_search_message_update`;
--> statement-breakpoint
CREATE TRIGGER `task_search_message_update` AFTER UPDATE OF `parts`, `status` ON `messages`
WHEN new.`status` <> 'streaming' BEGIN
	DELETE FROM `task_search` WHERE `message_id` = old.`id`;
	INSERT INTO `task_search` (`task_id`, `message_id`, `content`)
	SELECT new.`task_id`, new.`id`, coalesce(group_concat(json_extract(value, '$.text'), ' '), '')
	FROM json_each(new.`parts`) WHERE json_extract(value, '$.type') = 'text';
END;
