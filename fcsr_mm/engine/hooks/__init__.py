from .metrics_io import KeepTestMetricsHook, dump_metrics
from .per_face_scores import PerFaceScoresHook
from .resume_check import ResumeCheckHook, ResumeMismatchError

__all__ = ['KeepTestMetricsHook', 'PerFaceScoresHook', 'ResumeCheckHook',
           'ResumeMismatchError', 'dump_metrics']
