"""Chinese names: common surnames weighted by frequency, given names of one or two characters."""

from __future__ import annotations

import numpy as np

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_SURNAME_W = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.8

GIVEN_M = list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国文博志忠晨晓亮瑞")
GIVEN_F = list("芳娜敏静丽艳娟霞燕玲婷雪慧莹琳颖倩洁佳怡悦欣妍雨涵梓萱诗琪思梦晴瑶馨月兰红英华秀")


def surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(np.array(SURNAMES), size=n, p=_SURNAME_W / _SURNAME_W.sum())


def given_names(rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
    n = len(sex)
    m, f = np.array(GIVEN_M), np.array(GIVEN_F)
    first = np.where(sex == "M", rng.choice(m, n), rng.choice(f, n))
    second = np.where(sex == "M", rng.choice(m, n), rng.choice(f, n))
    two = rng.random(n) < 0.7
    return np.where(two, np.char.add(first, second), first)
