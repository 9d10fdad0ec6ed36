-- Leave metric empty for every contested metric, or give one (deaths, victims, ...).
select * from contested_figures where :metric = '' or metric = :metric
