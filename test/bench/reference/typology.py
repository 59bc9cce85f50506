"""Reference for the typology bench (test/bench/reference-compare.ts): scikit-learn's version of
Sozialatlas' typology pipeline (analysis/typology.ts with the bench's options) on the same CSV.

Steps, as our pipeline takes them: z-scores with the population sd (StandardScaler), the PCA of
all components (computed and reported, not used for clustering: pca 'none', clusterOn 'z'),
k-means++ with 50 restarts for every k of 2..10 (KMeans n_init=50, Lloyd, tol 1e-4, max_iter
300), then per k the exact silhouette, Calinski-Harabasz and Davies-Bouldin.

    /usr/bin/python3 typology.py <csv> <first indicator column> <number of indicators>

Reading the CSV is not timed. Prints one JSON line: seconds per step and in total, the inertia
and silhouette per k.
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.preprocessing import StandardScaler

path, first, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X = np.loadtxt(path, delimiter=",", quotechar='"', skiprows=1, usecols=range(first, first + p))

t0 = time.perf_counter()
Z = StandardScaler().fit_transform(X)
PCA().fit(Z)
t1 = time.perf_counter()
by_k = []
kmeans_s = 0.0
indices_s = 0.0
for k in range(2, 11):
    a = time.perf_counter()
    km = KMeans(n_clusters=k, n_init=50, init="k-means++", random_state=1).fit(Z)
    b = time.perf_counter()
    sil = silhouette_score(Z, km.labels_)
    calinski_harabasz_score(Z, km.labels_)
    davies_bouldin_score(Z, km.labels_)
    c = time.perf_counter()
    kmeans_s += b - a
    indices_s += c - b
    by_k.append({"k": k, "inertia": float(km.inertia_), "silhouette": float(sil)})
total = time.perf_counter() - t0
print(
    json.dumps(
        {
            "n": int(X.shape[0]),
            "p": int(X.shape[1]),
            "seconds": total,
            "scalePcaSeconds": t1 - t0,
            "kmeansSeconds": kmeans_s,
            "indicesSeconds": indices_s,
            "byK": by_k,
        }
    )
)
