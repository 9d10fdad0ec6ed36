select * from deaths_timeline
