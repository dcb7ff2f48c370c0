-- expect exit: 2
-- expect hazards: 
-- expect mentions: statement 1 (line 4) | is the file SQL?
Please add a column for the locale to the prompts table, thanks!
