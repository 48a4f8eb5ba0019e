from .metrics_io import KeepTestMetricsHook, dump_metrics
from .resume_check import ResumeCheckHook, ResumeMismatchError

__all__ = ['KeepTestMetricsHook', 'ResumeCheckHook', 'ResumeMismatchError',
           'dump_metrics']
